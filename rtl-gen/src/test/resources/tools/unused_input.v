// Input 'spare' (line 5) is never read: Verilator reports UNUSED for it.
module unused_input (
    input  wire [3:0] a,
    input  wire [3:0] b,
    input  wire       spare,
    output wire [3:0] y
);
    assign y = a ^ b;
endmodule
