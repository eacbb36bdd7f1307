// 1024 x 32 single-clock RAM with one write port and one synchronous (registered) read
// port: the registered read lets Yosys map it to block RAM instead of LUT RAM.
module ram1024x32 (
    input  wire        clk,
    input  wire        we,
    input  wire [9:0]  waddr,
    input  wire [31:0] wdata,
    input  wire [9:0]  raddr,
    output reg  [31:0] rdata
);
    reg [31:0] mem [0:1023];
    always @(posedge clk) begin
        if (we) begin
            mem[waddr] <= wdata;
        end
        rdata <= mem[raddr];
    end
endmodule
